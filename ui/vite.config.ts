import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// `LIVEHOOK_BRIDGE=http://127.0.0.1:PORT npm run dev`: the dev server hands the UI's calls to a running
// livehook-ui-bridge, so the hot-reloading UI runs on the real backend (open /#token=TOKEN).
const bridge = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env.LIVEHOOK_BRIDGE;

export default defineConfig({
  plugins: [react()],
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
    host: "127.0.0.1",
    proxy: bridge ? { "/invoke": bridge, "/calls": bridge } : undefined,
  },
  build: { outDir: "dist", target: "es2021", chunkSizeWarningLimit: 2500 },
  test: { include: ["src/**/*.test.ts"], environment: "node" },
});
