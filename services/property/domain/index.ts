export * from './address';
export * from '../../shared/domain/money';
export * from './property';
export * from './property-details';
export * from '../published/property-events';
export * from './property-rules';
export * from '../published/property-type';
export * from './property-view';
