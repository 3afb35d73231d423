/** The council protocol's text (ru). */
export const protocolCouncilRu: Record<string, string> = {
};
