/** Text of the screens (kk). */
export const uiKk: Record<string, string> = {};
