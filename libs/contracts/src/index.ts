export const hello = 'contracts';
