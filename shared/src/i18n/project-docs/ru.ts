/** The project dossier and portfolio documents' text (ru). */
export const projectDocsRu: Record<string, string> = {
};
