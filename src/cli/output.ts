import type { SeedResult } from '../demo/seed.ts';
import { DEMO_TOTP_SECRET } from '../demo/dataset.ts';

export function printDemoSignIns(result: Pick<SeedResult, 'users' | 'password' | 'generated'>): void {
  const featured = ['dataadmin', 'security', 'auditor', 'psb.admin', 'psb.officer'];
  console.log('Demo sign-ins / 演示账户:');
  console.log('  dataadmin   platform admin / 平台管理员');
  console.log('  security    security admin / 安全管理员');
  console.log('  auditor     audit admin / 审计管理员');
  console.log('  <dept>.admin, <dept>.officer for each department, e.g. psb.admin, yz-amr.officer');
  console.log(`  (${result.users.length} accounts: ${result.users.filter((u) => !featured.includes(u)).slice(0, 6).join(', ')}, …)`);
  // Administrators must use two-step sign-in (level 3); the demo's share one published key.
  console.log(`  administrators' TOTP key / 管理员动态口令密钥 (demo only / 仅演示): ${DEMO_TOTP_SECRET}`);
  if (result.password) {
    console.log(`  password / 密码: ${result.generated ? `${result.password}   (generated now and shown once; set EGOV_DEMO_PASSWORD to choose it)` : 'the value of EGOV_DEMO_PASSWORD'}`);
  } else {
    console.log('  password / 密码: EGOV_DEMO_PASSWORD, or the one printed when the demo data was first loaded');
  }
}
