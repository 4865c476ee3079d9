export * from './address';
export * from '../../shared/domain/money';
export * from './property';
export * from './property-details';
export * from '../contract/property-events';
export * from './property-rules';
export * from '../contract/property-type';
export * from './property-view';
