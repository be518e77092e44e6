/** Names `auditkit schema` accepts. */
export const SCHEMA_NAMES = ['event', 'wandb', 'snorkel', 'wherobots', 'config'] as const;
