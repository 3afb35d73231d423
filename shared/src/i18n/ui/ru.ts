/** Text of the screens (ru). */
export const uiRu: Record<string, string> = {};
