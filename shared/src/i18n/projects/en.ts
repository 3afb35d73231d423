/** The project registry and portfolio screens' text (en). */
export const projectsEn: Record<string, string> = {
};
