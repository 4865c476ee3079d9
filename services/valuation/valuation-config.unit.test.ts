import { ConfigError } from '../shared/config/load-config';
import { valuationConfig, valuationSettingsOf } from './valuation-config';

describe('the valuation configuration', () => {
  it('has documented defaults', () => {
    expect(valuationSettingsOf(valuationConfig({}))).toEqual({
      radiusKm: 5,
      windowDays: 365,
      maxComparables: 8,
      minComparables: 3,
    });
  });

  it('refuses a minimum no valuation could reach, naming both settings', () => {
    expect(() => valuationConfig({ VALUATION_MIN_COMPARABLES: '9' })).toThrow(ConfigError);
    expect(() => valuationConfig({ VALUATION_MIN_COMPARABLES: '9' })).toThrow(
      /VALUATION_MIN_COMPARABLES \(9\) exceeds VALUATION_MAX_COMPARABLES \(8\)/,
    );
  });

  it('refuses a radius that is not a positive number', () => {
    expect(() => valuationConfig({ VALUATION_RADIUS_KM: '0' })).toThrow(/VALUATION_RADIUS_KM/);
  });
});
