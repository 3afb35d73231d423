/** The project dossier and portfolio documents' text (en). */
export const projectDocsEn: Record<string, string> = {
};
