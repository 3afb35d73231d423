/** The workspace screens' text (ru). */
export const cabinetRu: Record<string, string> = {
};
