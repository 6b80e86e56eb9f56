// The egov extension of BPMN 2.0: who does a user task (a role of the handling organization,
// or of a joint one), what kind of step it is, its English name (the name attribute holds the
// Chinese), and which outcome an end event stands for. Given to bpmn-moddle as a package, so
// the attributes are parsed as properties (and reach the engine) instead of being dropped.
export const EGOV_BPMN_NS = 'https://egov.example/bpmn';

export const TASK_KINDS = ['review', 'countersign', 'decide'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];
export const OUTCOMES = ['approve', 'deny'] as const;
export type Decision = (typeof OUTCOMES)[number];

/** A role name in a definition: the application service maps it to the officers who may act. */
export const ROLE_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;
/** `lead` (the organization handling the application) or `joint:<key>` (another one handling it jointly). */
export const ORG_PATTERN = /^(lead|joint:[a-z][a-z0-9-]{0,39})$/;

const attr = (name: string) => ({ name, isAttr: true, type: 'String' });

export const egovModdlePackage = {
  name: 'egov',
  uri: EGOV_BPMN_NS,
  prefix: 'egov',
  xml: { tagAlias: 'lowerCase' },
  associations: [],
  types: [
    { name: 'ProcessNames', isAbstract: true, extends: ['bpmn:Process'], properties: [attr('nameEn')] },
    { name: 'TaskAssignment', isAbstract: true, extends: ['bpmn:UserTask'], properties: [attr('role'), attr('org'), attr('kind'), attr('nameEn')] },
    { name: 'EndOutcome', isAbstract: true, extends: ['bpmn:EndEvent'], properties: [attr('outcome')] },
  ],
};
