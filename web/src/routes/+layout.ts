// Live pages behind a room code gain nothing from SSR; the server serves one static SPA.
export const ssr = false;
export const prerender = false;
