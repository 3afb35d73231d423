/** The structured expert interview's text (ru). */
export const interviewRu: Record<string, string> = {
};
