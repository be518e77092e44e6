import { defineCatalog, type ActionCatalog } from '../../src/model/catalog.js';

/**
 * Every action the W&B audit log documentation lists (30, including
 * `organization:update_member` from the newest docs), with its normalized category and
 * operation. Descriptions are W&B's.
 */
export const WANDB_ACTIONS: ActionCatalog = defineCatalog([
  ['artifact:create', 'artifact', 'create', 'Artifact is created.'],
  ['artifact:delete', 'artifact', 'delete', 'Artifact is deleted.'],
  ['artifact:read', 'artifact', 'read', 'Artifact is read.'],
  ['organization:update_member', 'organization_member', 'update', 'Organization member is updated.'],
  ['project:delete', 'project', 'delete', 'Project is deleted.'],
  ['project:read', 'project', 'read', 'Project is read.'],
  ['report:read', 'report', 'read', 'Report is read.'],
  ['run:delete_many', 'run', 'delete', 'Batch of runs is deleted.'],
  ['run:delete', 'run', 'delete', 'Run is deleted.'],
  ['run:stop', 'run', 'stop', 'Run is stopped.'],
  ['run:undelete_many', 'run', 'restore', 'Batch of runs is restored from trash.'],
  ['run:update_many', 'run', 'update', 'Batch of runs is updated.'],
  ['run:update', 'run', 'update', 'Run is updated.'],
  ['sweep:create_agent', 'sweep_agent', 'create', 'Sweep agent is created.'],
  ['team:create_service_account', 'service_account', 'create', 'Service account is created for the team.'],
  ['team:create', 'team', 'create', 'Team is created.'],
  ['team:delete', 'team', 'delete', 'Team is deleted.'],
  ['team:invite_user', 'team_member', 'invite', 'User is invited to team.'],
  ['team:uninvite', 'team_member', 'uninvite', 'User or service account is uninvited from team.'],
  ['user:create_api_key', 'api_key', 'create', 'API key for the user is created.'],
  ['user:create', 'user', 'create', 'User is created.'],
  ['user:deactivate', 'user', 'deactivate', 'User is deactivated.'],
  ['user:delete_api_key', 'api_key', 'delete', 'API key for the user is deleted.'],
  ['user:initiate_login', 'user', 'login', 'User initiates log in.'],
  ['user:login', 'user', 'login', 'User logs in.'],
  ['user:logout', 'user', 'logout', 'User logs out.'],
  ['user:permanently_delete', 'user', 'delete', 'User is permanently deleted.'],
  ['user:reactivate', 'user', 'activate', 'User is reactivated.'],
  ['user:read', 'user', 'read', 'User profile is read.'],
  ['user:update', 'user', 'update', 'User is updated.'],
]);
