/** The five documented seed filters (prisma/seeds/001_*.txt), the fifth without its prose remark. */
export const SEED_FILTERS = [
  'process.name != "ammyy.exe" or process.parent.name != "ammyy.exe"',
  'process.name == "schtasks.exe" or process.parent.name == "schtasks.exe"',
  'user.name == "Domain\\Administrator" or user.group == "Domain Admins"',
  'destination.ip in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")',
  'process.name == "ammyy.exe" and process.parent.name == "msiexec.exe"',
] as const;
