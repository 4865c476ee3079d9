/** Access rules of the title service, by name (each refusal is a 403 naming one). */
export const titleRules = {
  registrarOrOwner: 'title-registrar-or-owner',
  liensRegistrarOnly: 'liens-registrar-only',
} as const;
