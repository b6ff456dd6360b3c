import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist", "node_modules", "src/bindings"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@tauri-apps/api", "@tauri-apps/api/*"], message: "Only src/backend/tauri.ts talks to Tauri." }] },
      ],
    },
  },
  { files: ["src/backend/tauri.ts"], rules: { "no-restricted-imports": "off" } },
  // Test scripts run in Node and pass functions to the page, so both sets of globals apply.
  { files: ["tests/**/*.{js,mjs}", "*.config.{js,ts}"], languageOptions: { globals: { ...globals.node, ...globals.browser } } },
);
