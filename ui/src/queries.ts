// Server state that belongs to an account (templates, domains) is cached per account: the key names the
// active profile (or the demo), so a failing account shows its own error and never another account's
// lists.
import { useQuery } from "@tanstack/react-query";
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

export function useTemplates() {
  const account = useAccount();
  return useQuery({ queryKey: ["templates", account], queryFn: () => backend.listTemplates(), enabled: account !== undefined });
}

export function useDomains() {
  const account = useAccount();
  return useQuery({ queryKey: ["domains", account], queryFn: () => backend.listDomains(), enabled: account !== undefined });
}
