import { useQuery, useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert, ConfigProvider, Layout, Menu, Tag } from "tdesign-react";
import { Space } from "./components/Space";
import { Button } from "./components/Button";
import { Link } from "./components/Link";
import enConfig from "tdesign-react/es/locale/en_US";
import zhConfig from "tdesign-react/es/locale/zh_CN";
import { backend } from "./backend";
import { useStatus } from "./queries";
import { systemLanguage } from "./i18n";
import { TemplatesPage } from "./pages/TemplatesPage";
import { guardSelectEscape } from "./components/modal";
import { ShortcutsDialog, useShortcuts, type Page } from "./components/Shortcuts";

guardSelectEscape();

// The first page is in the first script; the others load when first opened, so the window paints
// without parsing the inspector's workbench, the delivery log and the account forms.
const AccountsPage = lazy(() => import("./pages/AccountsPage").then((m) => ({ default: m.AccountsPage })));
const DeliveriesPage = lazy(() => import("./pages/DeliveriesPage").then((m) => ({ default: m.DeliveriesPage })));
const DomainsPage = lazy(() => import("./pages/DomainsPage").then((m) => ({ default: m.DomainsPage })));
const AboutDialog = lazy(() => import("./components/AboutDialog").then((m) => ({ default: m.AboutDialog })));
const InspectorPage = lazy(() => import("./pages/InspectorPage").then((m) => ({ default: m.InspectorPage })));


function systemTheme(): "light" | "dark" {
  return window.matchMedia?.("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

export function App() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [page, setPage] = useState<Page>("templates");
  const [aboutOpen, setAboutOpen] = useState(false);
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  useShortcuts(setPage, () => setShortcutsOpen(true));
  const status = useStatus();
  const ui = useQuery({ queryKey: ["ui"], queryFn: () => backend.getUiSettings() });
  const language = ui.data?.language ?? systemLanguage();
  const theme = (ui.data?.theme as "light" | "dark" | null) ?? systemTheme();

  useEffect(() => {
    void i18n.changeLanguage(language);
    document.documentElement.lang = language;
  }, [language, i18n]);
  useEffect(() => {
    document.documentElement.setAttribute("theme-mode", theme);
  }, [theme]);

  const saveUi = async (patch: { language?: string; theme?: string }) => {
    await backend.setUiSettings({ language: patch.language ?? language, theme: patch.theme ?? theme });
    void queryClient.invalidateQueries({ queryKey: ["ui"] });
  };

  const active = status.data;
  return (
    <ConfigProvider globalConfig={language === "zh-CN" ? zhConfig : enConfig}>
      <Layout className="app">
        <Layout.Aside width="220px" className="aside">
          <div className="brand">
            <img src="/icon.png" alt="" width={28} height={28} />
            <div>
              <div className="brand-name">{t("app.title")}</div>
              <div className="brand-sub">{t("app.subtitle")}</div>
            </div>
          </div>
          {/* Each item holds a real button, so Tab reaches the pages and Enter or Space opens one (the
              press bubbles to TDesign's item, which switches). */}
          <nav aria-label={t("app.pages")}>
            <Menu value={page} onChange={(v) => setPage(v as Page)} theme={theme} width="220px">
              {(["templates", "domains", "inspector", "deliveries", "accounts"] as const).map((p) => (
                <Menu.MenuItem key={p} value={p}>
                  <button type="button" className="nav-button" aria-current={page === p ? "page" : undefined} data-testid={`nav-${p}`}>
                    {t(`nav.${p}`)}
                  </button>
                </Menu.MenuItem>
              ))}
            </Menu>
          </nav>
        </Layout.Aside>
        <Layout>
          <Layout.Header className="header">
            <h1>{t(`nav.${page}`)}</h1>
            {/* Keyed: TDesign's Space wraps children by position, so when the account badge appears
                first, React would otherwise hand the Theme button's element to the Language button
                (a click in flight then switches the language). */}
            <Space>
              {active &&
                (active.demo ? (
                  <Tag theme="warning" variant="light" key="demo-badge" data-testid="demo-badge">
                    {t("app.demo")}
                  </Tag>
                ) : (
                  <Tag theme="success" variant="light" key="profile-badge" data-testid="profile-badge">
                    {t("app.account")}: {active.activeProfile}
                  </Tag>
                ))}
              <Button variant="text" onClick={() => saveUi({ language: language === "zh-CN" ? "en-US" : "zh-CN" })} key="toggle-language" data-testid="toggle-language">
                {t("app.language")}
              </Button>
              <Button variant="text" onClick={() => saveUi({ theme: theme === "dark" ? "light" : "dark" })} key="toggle-theme" data-testid="toggle-theme">
                {theme === "dark" ? t("app.themeLight") : t("app.themeDark")}
              </Button>
              <Button variant="text" onClick={() => setShortcutsOpen(true)} title="?" key="open-shortcuts" data-testid="open-shortcuts">
                {t("shortcuts.open")}
              </Button>
              <Button variant="text" onClick={() => setAboutOpen(true)} key="open-about" data-testid="open-about">
                {t("about.open")}
              </Button>
            </Space>
          </Layout.Header>
          <Layout.Content className="content">
            {active?.demo && page !== "accounts" && (
              <Alert
                theme="info"
                className="demo-banner"
                message={t("app.demoHint")}
                operation={
                  <Link theme="primary" onClick={() => setPage("accounts")} data-testid="demo-add-account">
                    {t("app.addAccount")}
                  </Link>
                }
                data-testid="demo-banner"
              />
            )}
            <Suspense fallback={<div className="empty" data-testid="page-loading">{t("common.loading")}</div>}>
              {page === "templates" && <TemplatesPage key={active?.activeProfile ?? "demo"} />}
              {page === "domains" && <DomainsPage key={active?.activeProfile ?? "demo"} />}
              {page === "inspector" && <InspectorPage key={active?.activeProfile ?? "demo"} />}
              {page === "deliveries" && <DeliveriesPage key={active?.activeProfile ?? "demo"} />}
              {page === "accounts" && <AccountsPage />}
            </Suspense>
            {shortcutsOpen && <ShortcutsDialog onClose={() => setShortcutsOpen(false)} />}
            {aboutOpen && (
              <Suspense fallback={null}>
                <AboutDialog onClose={() => setAboutOpen(false)} />
              </Suspense>
            )}
          </Layout.Content>
        </Layout>
      </Layout>
    </ConfigProvider>
  );
}
