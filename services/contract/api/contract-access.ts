/** Access rules of the contract service, by name (each refusal is a 403 naming one). */
export const contractRules = {
  partyOrCompliance: 'contract-party-or-compliance',
  listingComplianceOnly: 'contracts-compliance-only',
  holdsComplianceOnly: 'compliance-holds-compliance-only',
} as const;
