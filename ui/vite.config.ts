import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [react()],
  clearScreen: false,
  server: { port: 5173, strictPort: true, host: "127.0.0.1" },
  build: { outDir: "dist", target: "es2021", chunkSizeWarningLimit: 2500 },
  test: { include: ["src/**/*.test.ts"], environment: "node" },
});
