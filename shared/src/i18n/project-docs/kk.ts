/** The project dossier and portfolio documents' text (kk). */
export const projectDocsKk: Record<string, string> = {
};
