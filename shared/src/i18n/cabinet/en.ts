/** The workspace screens' text (en). */
export const cabinetEn: Record<string, string> = {
};
