import { useQuery, useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert, ConfigProvider, Layout, Menu, Space, Tag } from "tdesign-react";
import { Button } from "./components/Button";
import enConfig from "tdesign-react/es/locale/en_US";
import zhConfig from "tdesign-react/es/locale/zh_CN";
import { backend } from "./backend";
import { useStatus } from "./queries";
import { systemLanguage } from "./i18n";
import { TemplatesPage } from "./pages/TemplatesPage";
import { guardSelectEscape } from "./components/modal";

guardSelectEscape();

// The first page is in the first script; the others load when first opened, so the window paints
// without parsing the inspector's workbench, the delivery log and the account forms.
const AccountsPage = lazy(() => import("./pages/AccountsPage").then((m) => ({ default: m.AccountsPage })));
const DeliveriesPage = lazy(() => import("./pages/DeliveriesPage").then((m) => ({ default: m.DeliveriesPage })));
const DomainsPage = lazy(() => import("./pages/DomainsPage").then((m) => ({ default: m.DomainsPage })));
const AboutDialog = lazy(() => import("./components/AboutDialog").then((m) => ({ default: m.AboutDialog })));
const InspectorPage = lazy(() => import("./pages/InspectorPage").then((m) => ({ default: m.InspectorPage })));

type Page = "templates" | "domains" | "inspector" | "deliveries" | "accounts";

function systemTheme(): "light" | "dark" {
  return window.matchMedia?.("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

export function App() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [page, setPage] = useState<Page>("templates");
  const [aboutOpen, setAboutOpen] = useState(false);
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
          <Menu value={page} onChange={(v) => setPage(v as Page)} theme={theme} width="220px">
            {(["templates", "domains", "inspector", "deliveries", "accounts"] as const).map((p) => (
              <Menu.MenuItem key={p} value={p}>
                <span data-testid={`nav-${p}`}>{t(`nav.${p}`)}</span>
              </Menu.MenuItem>
            ))}
          </Menu>
        </Layout.Aside>
        <Layout>
          <Layout.Header className="header">
            <h1>{t(`nav.${page}`)}</h1>
            <Space>
              {active &&
                (active.demo ? (
                  <Tag theme="warning" variant="light" data-testid="demo-badge">
                    {t("app.demo")}
                  </Tag>
                ) : (
                  <Tag theme="success" variant="light" data-testid="profile-badge">
                    {t("app.account")}: {active.activeProfile}
                  </Tag>
                ))}
              <Button variant="text" onClick={() => saveUi({ language: language === "zh-CN" ? "en-US" : "zh-CN" })} data-testid="toggle-language">
                {t("app.language")}
              </Button>
              <Button variant="text" onClick={() => saveUi({ theme: theme === "dark" ? "light" : "dark" })} data-testid="toggle-theme">
                {theme === "dark" ? t("app.themeLight") : t("app.themeDark")}
              </Button>
              <Button variant="text" onClick={() => setAboutOpen(true)} data-testid="open-about">
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
                operation={<span onClick={() => setPage("accounts")}>{t("app.addAccount")}</span>}
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
