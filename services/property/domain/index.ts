export * from './address';
export * from '../../shared/domain/money';
export * from './property';
export * from './property-details';
export * from './property-events';
export * from './property-rules';
export * from './property-type';
export * from './property-view';
