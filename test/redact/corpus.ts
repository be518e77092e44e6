/**
 * The leak corpus (issue 12): values a redacting policy must never let through, each in the form
 * the adversarial run planted it, with the substrings whose presence in any output is a leak.
 * And the benign corpus: audit data no preset may change.
 */

export interface Leak {
  name: string;
  /** What is planted. */
  planted: string;
  /** Substrings that must not appear in any output under a redacting policy. */
  secrets: string[];
  /** IPs are kept by `wandb-anonymize` by design. */
  kind: 'email' | 'ip' | 'secret' | 'name';
  /** Where it goes: free text (`text`), as a details key (`key`), in the vendor event id (`id`), under a key (`under`). */
  where: 'text' | 'key' | 'id' | 'under';
  /** For `under`: the key. */
  key?: string;
}

const E = (name: string, planted: string, secrets: string[], where: Leak['where'] = 'text'): Leak => ({
  name,
  planted,
  secrets,
  kind: 'email',
  where,
});
const S = (name: string, planted: string, secrets: string[], where: Leak['where'] = 'text', key?: string): Leak => ({
  name,
  planted,
  secrets,
  kind: 'secret',
  where,
  ...(key ? { key } : {}),
});

export const LEAKS: readonly Leak[] = [
  E('plain e-mail', 'mail maria.garcia@acme-ml.com today', ['maria.garcia', 'acme-ml.com']),
  E('quoted local part', 'write to "first.last"@quoted-mail.example', ['first.last', 'quoted-mail']),
  E('%40', 'link?to=first.pct%40pct-mail.example', ['first.pct', 'pct-mail']),
  E('\\u0040 in JSON text', '{\\"to\\":\\"jane.roe\\u0040example.org\\"}', ['jane.roe', 'example.org']),
  E('full-width at sign', 'ｊａｎｅ＠ｅｘａｍｐｌｅ．ｏｒｇ', ['ｊａｎｅ', 'ｅｘａｍｐｌｅ']),
  E('full-width @ only', 'jane.full＠example.net', ['jane.full', 'example.net']),
  E('&#64;', 'jane.html&#64;html-mail.example', ['jane.html', 'html-mail']),
  E('&#x40;', 'jane.hex&#x40;example.com', ['jane.hex']),
  E('&commat;', 'jane.named&commat;example.com', ['jane.named']),
  E('internationalized', 'jó.müller@bücher-idn.de', ['jó', 'müller', 'bücher-idn']),
  E('as a details key', 'leak.person@example.com', ['leak.person'], 'key'),
  E('in the vendor event id', 'evt_idleak.person@example.com', ['idleak.person'], 'id'),
  { name: 'IPv4', planted: 'from 203.0.113.77 today', secrets: ['203.0.113.77'], kind: 'ip', where: 'text' },
  { name: 'IPv4 with leading zeros', planted: 'from 010.020.030.040 today', secrets: ['010.020.030.040'], kind: 'ip', where: 'text' },
  { name: 'IPv6', planted: 'from 2001:db8:4f2a::17 today', secrets: ['2001:db8:4f2a::17'], kind: 'ip', where: 'text' },
  { name: 'under client_ip', planted: '198.51.100.99', secrets: ['198.51.100.99'], kind: 'ip', where: 'under', key: 'client_ip' },
  S('W&B API key after WANDB_API_KEY', 'export WANDB_API_KEY=5f3c9a7e1b2d4f6a8c0e5f3c9a7e1b2d4f6a8c0e', [
    '5f3c9a7e1b2d4f6a8c0e5f3c9a7e1b2d4f6a8c0e',
  ]),
  S('W&B API key after api_key', 'api_key: 6a8c0e5f3c9a7e1b2d4f6a8c0e5f3c9a7e1b2d4f', ['6a8c0e5f3c9a7e1b2d4f6a8c0e5f3c9a7e1b2d4f']),
  S(
    'W&B API key under a key-like name',
    '7e1b2d4f6a8c0e5f3c9a7e1b2d4f6a8c0e5f3c9a',
    ['7e1b2d4f6a8c0e5f3c9a7e1b2d4f6a8c0e5f3c9a'],
    'under',
    'wandb_key',
  ),
  S('AWS secret access key', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', ['wJalrXUtnFEMI/K7MDENG']),
  S('AWS access key id', 'id AKIAIOSFODNN7EXAMPLE', ['AKIAIOSFODNN7EXAMPLE']),
  S('Google API key', 'key=AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe', ['AIzaSyDaGmWKa4JsXZ']),
  S('GitLab token', 'token glpat-Zx9yW8vU7tS6rQ5pO4nM', ['glpat-Zx9yW8vU7tS6rQ5pO4nM']),
  S('GitHub token', 'ghp_16C7e42F292c6912E7710c838347Ae178B4a', ['ghp_16C7e42F292c6912E7710c838347Ae178B4a']),
  S('Stripe key', 'charge with sk_live_4eC39HqLyjWDarjtT1zdp7dc', ['sk_live_4eC39HqLyjWDarjtT1zdp7dc']),
  S('Slack token', 'xoxb-123456789012-abcdefghijKLMN', ['xoxb-123456789012']),
  S('PGP private key block', '-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBGSecretPgpMaterialQQ\n-----END PGP PRIVATE KEY BLOCK-----', [
    'lQOYBGSecretPgpMaterialQQ',
  ]),
  S('PEM with no END line', 'key -----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAsecretpemmaterial', [
    'MIIEowIBAAKCAQEAsecretpemmaterial',
  ]),
  S('access_token in a URL', 'GET https://api.example.com/cb?access_token=ya29.A0ARrdaMsecret&state=1', ['ya29.A0ARrdaMsecret']),
  S('X-Amz-Signature in a URL', 'https://s3.example.com/o?X-Amz-Signature=fe5f80f77d5fa3beca038a248ff027', [
    'fe5f80f77d5fa3beca038a248ff027',
  ]),
  S('JWT with an empty signature', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJqb2huIn0.', ['eyJzdWIiOiJqb2huIn0']),
  S('JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', ['dozjgNryP4J3jVmNHl0w5N']),
  S('short Basic credentials', 'Authorization: Basic YTpi', ['YTpi']),
  S('short Basic credentials without the header name', 'sent Basic dTpwdw==', ['dTpwdw==']),
  S('Bearer token', 'Authorization: Bearer abc.def.ghi-long-token', ['abc.def.ghi-long-token']),
  S('URL userinfo', 'https://admin:hunter2pw@wandb.example.com/x', ['hunter2pw']),
  S('secret-named key holding an object', 'nested-secret-value-123', ['nested-secret-value-123'], 'under', 'api_token'),
  S('password key', 'p4ssw0rd-plain', ['p4ssw0rd-plain'], 'under', 'Password'),
  { name: 'username key', planted: 'john_wick', secrets: ['john_wick'], kind: 'name', where: 'under', key: 'username' },
  { name: 'display name key', planted: 'Ada Lovelace', secrets: ['Ada Lovelace'], kind: 'name', where: 'under', key: 'displayName' },
  { name: 'e-mail key', planted: 'grace@example.com', secrets: ['grace@example.com'], kind: 'email', where: 'under', key: 'user_email' },
];

/** Audit data that is not PII: every preset keeps it byte for byte. */
export const BENIGN: Readonly<Record<string, unknown>> = {
  artifact_digest: 'aa3685b2f0eff2d4b45613bd8dfac297',
  artifact_digest_sha1: '0123456789abcdef0123456789abcdef01234567',
  content_sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  git_commit: 'e83c5163316f89bfbde7d9ab23ca2e25604af290',
  artifact_asset: 880000,
  entity_asset: 311,
  asset_id: 'QXJ0aWZhY3Q6ODgwMDAw',
  artifact_id: 'QXJ0aWZhY3RDb2xsZWN0aW9uOjc3MDAw==',
  cli_version: '0.21.4',
  build_version: '1.2.3.4',
  version: '10.0.19045.3803',
  timestamp: '2026-08-01T13:45:00.482913Z',
  local_time: '2026-07-13T12:40:40.309363',
  time_with_offset: '2026-02-02T01:01:17+05:30',
  run_id: '3k2j4h5g',
  uuid: '550e8400-e29b-41d4-a716-446655440000',
  compute_region: 'aws-us-west-2',
  region: 'us-west-2',
  zone: 'europe-west4-a',
  action: 'team:invite_user',
  action_name: 'LinkOrganizationToAwsMarketplace',
  artifact_qualified_name: 'vision-research/detr-finetune/model-weights:v0',
  user_agent: 'wherobots-python/0.12.1 (python 3.11.9; linux)',
  browser: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  url: 'https://wandb.ai/acme/detr-finetune/runs/3k2j4h5g?workspace=user-acme',
  path: '/api/v1/projects/5120/runs',
  token_count: 1234,
  tokens_used: 98,
  secret_name: 'prod-db-credentials',
  password_expires: '2026-09-01',
  key_id: 'k3f1c2d4e',
  response_code: 403,
  status: 'Basic plan',
  note: 'Basic authentication was disabled for the team; see the token settings page',
  duration: '01:02:03',
  ratio: '3.14',
  model: 'gpt-4o-2024-08-06',
  tags: ['prod', 'v1.2', 'hpo:sweep-7'],
};
