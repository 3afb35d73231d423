/** The council protocol's text (en). */
export const protocolCouncilEn: Record<string, string> = {
};
