import { createTheme, type CSSVariablesResolver, darken, InputClearButton, MantineProvider, Modal, Notification } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { RouterProvider } from "react-router";
import { LocalisedDates } from "@/components/LocalisedDates";
import i18n from "@/i18n";
import { ApiError, setUnauthorizedHandler } from "@/lib/api";
import { ME_KEY } from "@/lib/session";
import { makeRouter } from "@/routes";

const closeLabel = () => ({ "aria-label": i18n.t("app.close") });

// One theme for the whole interface; colours chosen for WCAG AA contrast on white.
export const theme = createTheme({
  primaryColor: "blue",
  primaryShade: 8,
  defaultRadius: "md",
  fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif",
  components: {
    // Icon-only close buttons get a name in the UI language. A getter: Mantine spreads default props at each
    // render, so the name follows a language switch.
    Notification: Notification.extend({ defaultProps: { get closeButtonProps() { return closeLabel(); } } }),
    Modal: Modal.extend({ defaultProps: { get closeButtonProps() { return closeLabel(); } } }),
    InputClearButton: InputClearButton.extend({ defaultProps: { get "aria-label"() { return i18n.t("app.clear"); } } }),
  },
});

// Text on white or on a light tint must reach 4.5:1 (WCAG AA). Mantine's defaults do not for every colour:
// "dimmed" (gray 6), the light and outline variants (text of shade 6 to 8 on a tint that darkens on hover) and,
// for the brighter hues, white text on the filled shade. Each colour's text becomes its darkest shade (9) mixed
// with black, more so for the bright hues, which also get that darker fill.
const DARKEN: Record<string, number> = { yellow: 45, orange: 30, lime: 35, green: 25, teal: 20, cyan: 20 };
const BRIGHT = new Set(Object.keys(DARKEN));
const DEFAULT_DARKEN = 20;

export const cssVariablesResolver: CSSVariablesResolver = (resolvedTheme) => {
  const light: Record<string, string> = { "--mantine-color-dimmed": "var(--mantine-color-gray-7)" };
  for (const color of Object.keys(resolvedTheme.colors)) {
    const shade = resolvedTheme.colors[color]?.[9] ?? "#000";
    const amount = DARKEN[color] ?? DEFAULT_DARKEN;
    const text = darken(shade, amount / 100);
    light[`--mantine-color-${color}-light-color`] = text;
    light[`--mantine-color-${color}-outline`] = text;
    if (BRIGHT.has(color)) {
      light[`--mantine-color-${color}-filled`] = text;
      light[`--mantine-color-${color}-filled-hover`] = darken(shade, (amount + 10) / 100);
    }
  }
  return { variables: {}, light, dark: {} };
};

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
        refetchOnWindowFocus: false,
      },
    },
  });
}

export function App() {
  const [queryClient] = useState(makeQueryClient);
  const [router] = useState(makeRouter);
  useEffect(() => {
    setUnauthorizedHandler(() => queryClient.setQueryData(ME_KEY, null));
  }, [queryClient]);
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
      <Notifications position="top-right" />
      <LocalisedDates>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </LocalisedDates>
    </MantineProvider>
  );
}
