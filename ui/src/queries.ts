// Server state that belongs to an account (templates, domains) is cached per account: the key names the
// active profile (or the demo), so a failing account shows its own error and never another account's
// lists.
import { useQuery, type UseQueryResult } from "@tanstack/react-query";
import { backend } from "./backend";

export function useStatus() {
  return useQuery({ queryKey: ["status"], queryFn: () => backend.appStatus() });
}

/**
 * The account the lists belong to, as a cache key: `profile:<name>` or `demo` (so a profile named
 * "demo" is not taken for the offline demo); undefined while unknown.
 */
export function useAccount(): string | undefined {
  const status = useStatus();
  if (!status.data) return undefined;
  return status.data.activeProfile === null ? "demo" : `profile:${status.data.activeProfile}`;
}

/**
 * What a page shows instead of an account's list: the list's own error, or the account's when it
 * cannot be read (the list then never starts, and would otherwise stay pending); Try again asks
 * whichever failed.
 */
export function useListFailure(list: UseQueryResult<unknown>) {
  const status = useStatus();
  return {
    error: list.error ?? status.error,
    retry: () => void (status.error ? status.refetch() : list.refetch()),
  };
}

export function useTemplates() {
  const account = useAccount();
  return useQuery({ queryKey: ["templates", account], queryFn: () => backend.listTemplates(), enabled: account !== undefined });
}

export function useDomains() {
  const account = useAccount();
  return useQuery({ queryKey: ["domains", account], queryFn: () => backend.listDomains(), enabled: account !== undefined });
}

/**
 * Each binding pending or live (from its rule's creation and the first callback since): asked again
 * every 5 s while one is pending, so it turns live on screen when the first callback arrives.
 */
export function useBindingStates() {
  const account = useAccount();
  return useQuery({
    queryKey: ["binding-states", account],
    queryFn: () => backend.bindingStates(),
    enabled: account !== undefined,
    refetchInterval: (q) => (q.state.data?.some((b) => b.state === "pending") ? 5000 : false),
  });
}
