/** Text of the screens (en). */
export const uiEn: Record<string, string> = {};
