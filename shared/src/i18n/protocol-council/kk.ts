/** The council protocol's text (kk). */
export const protocolCouncilKk: Record<string, string> = {
};
