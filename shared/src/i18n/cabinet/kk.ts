/** The workspace screens' text (kk). */
export const cabinetKk: Record<string, string> = {
};
