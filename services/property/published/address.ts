/** A postal address with its WGS 84 position, as property events carry it. */
export interface Address {
  readonly street: string;
  readonly city: string;
  /** May be empty: some countries (e.g. HK, AE) have no postal codes. */
  readonly postalCode: string;
  /** State, province or county; may be empty where the country has none. */
  readonly region: string;
  /** ISO 3166-1 alpha-2, uppercase. */
  readonly country: string;
  /** WGS 84 degrees; kept on the address so projections can index a geo point. */
  readonly lat: number;
  readonly lon: number;
}
