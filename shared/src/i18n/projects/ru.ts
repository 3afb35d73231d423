/** The project registry and portfolio screens' text (ru). */
export const projectsRu: Record<string, string> = {
};
