export * from './access-denied-error';
export * from './access-policy';
export * from './cidr';
export * from './client-address';
export * from './hour-ranges';
export * from './ip-address';
