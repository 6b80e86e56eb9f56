// The review processes of the four demo services, one BPMN file each under definitions/,
// named by the service's item code (the demo catalog's codes, src/demo/services.ts).
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export const DEMO_PROCESS_CODES = [
  'amr.individual-business-registration',
  'psb.residence-permit',
  'hrss.social-security-card',
  'eco.construction-eia-approval',
] as const;
export type DemoProcessCode = (typeof DEMO_PROCESS_CODES)[number];

export const DEFINITIONS_DIR = path.join(import.meta.dirname, 'definitions');

export function demoDefinitionPath(code: DemoProcessCode): string {
  return path.join(DEFINITIONS_DIR, `${code}.bpmn`);
}

export async function readDemoDefinition(code: DemoProcessCode): Promise<string> {
  return readFile(demoDefinitionPath(code), 'utf8');
}
