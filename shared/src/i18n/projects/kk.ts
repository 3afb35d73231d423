/** The project registry and portfolio screens' text (kk). */
export const projectsKk: Record<string, string> = {
};
