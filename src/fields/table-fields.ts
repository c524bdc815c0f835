// How canonical fields are read from the tables beyond SPEC §3's three (src/kusto/log-tables.json): the same ECS
// style, so a rule on process.name or source.ip works on DeviceFileEvents or SecurityEvent rows too. A table not
// listed here still takes rules on its raw columns.
import type { Source } from './catalog.js';

type Mapping = Readonly<Record<string, Source>>;

const col = (column: string): Source => ({ column });
const ip = (column: string): Source => ({ ip: column });
const user = (domain: string, name: string): Source => ({ user: { domain, name } });
const REPORT: Source = { reportIds: true };
const DIRECTORY: Source = { directory: true };

/** A Defender device table: the initiating process is the process (as in DeviceNetworkEvents). */
const deviceTable = (extra: Mapping = {}): Mapping => ({
  '@timestamp': col('Timestamp'), 'host.id': col('DeviceId'), 'host.name': col('DeviceName'),
  'process.name': col('InitiatingProcessFileName'), 'process.parent.name': col('InitiatingProcessParentFileName'),
  'process.command_line': col('InitiatingProcessCommandLine'), 'process.executable': col('InitiatingProcessFolderPath'),
  'process.pe.company': col('InitiatingProcessVersionInfoCompanyName'), 'process.pe.product': col('InitiatingProcessVersionInfoProductName'),
  'user.name': user('InitiatingProcessAccountDomain', 'InitiatingProcessAccountName'), 'user.group': DIRECTORY,
  'event.ids': REPORT, ...extra,
});

const file = (name = 'FileName', path = 'FolderPath'): Mapping =>
  ({ 'file.name': col(name), 'file.path': col(path), 'file.hash.sha1': col('SHA1'), 'file.hash.sha256': col('SHA256') });

/** A Defender for Identity table: the account acting, its device and addresses. */
const identityTable: Mapping = {
  '@timestamp': col('Timestamp'), 'host.name': col('DeviceName'), 'user.name': user('AccountDomain', 'AccountName'),
  'user.group': DIRECTORY, 'source.ip': ip('IPAddress'), 'destination.ip': ip('DestinationIPAddress'),
  'destination.port': col('DestinationPort'), 'event.ids': REPORT,
};

const signIns: Mapping = { '@timestamp': col('TimeGenerated'), 'user.name': col('UserPrincipalName'), 'source.ip': ip('IPAddress') };

export const TABLE_FIELDS: Readonly<Record<string, Mapping>> = {
  DeviceFileEvents: deviceTable({ ...file(), 'source.ip': ip('RequestSourceIP') }),
  DeviceImageLoadEvents: deviceTable(file()),
  DeviceEvents: deviceTable({
    ...file(), 'destination.ip': ip('RemoteIP'), 'destination.port': col('RemotePort'), 'destination.domain': { urlHost: 'RemoteUrl' },
    'source.ip': ip('LocalIP'), 'registry.key': col('RegistryKey'), 'registry.value': col('RegistryValueName'),
  }),
  DeviceRegistryEvents: deviceTable({ 'registry.key': col('RegistryKey'), 'registry.value': col('RegistryValueName') }),
  // A logon's user is the account that logged on, and its source the address it came from.
  DeviceLogonEvents: deviceTable({ 'user.name': user('AccountDomain', 'AccountName'), 'source.ip': ip('RemoteIP') }),
  DeviceInfo: { '@timestamp': col('Timestamp'), 'host.id': col('DeviceId'), 'host.name': col('DeviceName'), 'event.ids': REPORT },
  DeviceNetworkInfo: { '@timestamp': col('Timestamp'), 'host.id': col('DeviceId'), 'host.name': col('DeviceName'), 'event.ids': REPORT },
  EmailEvents: {
    '@timestamp': col('Timestamp'), 'email.from.address': col('SenderFromAddress'), 'email.to.address': col('RecipientEmailAddress'),
    'email.subject': col('Subject'), 'source.ip': ip('SenderIPv4'), 'event.ids': REPORT,
  },
  EmailAttachmentInfo: {
    '@timestamp': col('Timestamp'), 'email.from.address': col('SenderFromAddress'), 'email.to.address': col('RecipientEmailAddress'),
    'file.name': col('FileName'), 'file.hash.sha256': col('SHA256'), 'event.ids': REPORT,
  },
  EmailUrlInfo: { '@timestamp': col('Timestamp'), 'url.full': col('Url'), 'destination.domain': col('UrlDomain'), 'event.ids': REPORT },
  UrlClickEvents: { '@timestamp': col('Timestamp'), 'user.name': col('AccountUpn'), 'url.full': col('Url'), 'source.ip': ip('IPAddress'), 'event.ids': REPORT },
  IdentityLogonEvents: identityTable,
  IdentityQueryEvents: identityTable,
  IdentityDirectoryEvents: identityTable,
  IdentityInfo: { '@timestamp': col('Timestamp'), 'user.name': user('AccountDomain', 'AccountName'), 'user.group': DIRECTORY },
  CloudAppEvents: { '@timestamp': col('Timestamp'), 'user.name': col('AccountId'), 'source.ip': ip('IPAddress'), 'event.ids': REPORT },
  AlertInfo: { '@timestamp': col('Timestamp') },
  AlertEvidence: {
    '@timestamp': col('Timestamp'), 'host.id': col('DeviceId'), 'host.name': col('DeviceName'), ...file(),
    'destination.ip': ip('RemoteIP'), 'destination.domain': { urlHost: 'RemoteUrl' }, 'source.ip': ip('LocalIP'),
    'process.command_line': col('ProcessCommandLine'), 'user.name': user('AccountDomain', 'AccountName'), 'user.group': DIRECTORY,
    'registry.key': col('RegistryKey'), 'registry.value': col('RegistryValueName'),
  },
  // SecurityEvent's Account is already DOMAIN\name; Process is the image's file name, ParentProcessName a full path.
  SecurityEvent: {
    '@timestamp': col('TimeGenerated'), 'host.name': col('Computer'), 'user.name': col('Account'), 'user.group': DIRECTORY,
    'process.name': col('Process'), 'process.executable': col('NewProcessName'), 'process.command_line': col('CommandLine'),
    'process.parent.name': { baseName: 'ParentProcessName' }, 'source.ip': ip('IpAddress'),
  },
  SigninLogs: signIns,
  AADNonInteractiveUserSignInLogs: signIns,
  AuditLogs: { '@timestamp': col('TimeGenerated') },
  OfficeActivity: { '@timestamp': col('TimeGenerated'), 'user.name': col('UserId'), 'source.ip': ip('ClientIP'), 'file.name': col('SourceFileName') },
  CommonSecurityLog: {
    '@timestamp': col('TimeGenerated'), 'source.ip': ip('SourceIP'), 'destination.ip': ip('DestinationIP'),
    'destination.port': col('DestinationPort'), 'destination.domain': col('DestinationHostName'), 'user.name': col('SourceUserName'),
    'url.full': col('RequestURL'), 'process.name': col('ProcessName'),
  },
  Syslog: { '@timestamp': col('TimeGenerated'), 'host.name': col('Computer'), 'process.name': col('ProcessName'), 'source.ip': ip('HostIP') },
  WindowsEvent: { '@timestamp': col('TimeGenerated'), 'host.name': col('Computer') },
  BehaviorAnalytics: {
    '@timestamp': col('TimeGenerated'), 'host.name': col('SourceDevice'), 'user.name': col('UserPrincipalName'),
    'source.ip': ip('SourceIPAddress'), 'destination.ip': ip('DestinationIPAddress'),
  },
};
