// The jobs that carry joint handling across departments (joint.ts): a step sent to a joint
// department, and its outcome sent back to the lead. Apart so decisions.ts can schedule them
// without depending on the exchange side.
export const JOINT_STEP_QUEUE = 'services.joint-step';
export const JOINT_OUTCOME_QUEUE = 'services.joint-outcome';

export type JointStep = { applicationId: string; ref: string; orgId: string; nameZh: string; nameEn: string; duty: string; kind: string };
