/**
 * The names of the commands the household workflow accepts, and where their free texts sit. Plain
 * data, shared by the workflow (one update per name) and the API; each command's schema is in
 * ./schemas/commands.
 */
export const COMMAND_TYPES = [
  'recordScore',
  'defineDanger',
  'reviseDanger',
  'assignRole',
  'addHouseholdMember',
  'addNetworkMember',
  'updateNetworkMember',
  'recordEvidence',
  'registerHuisverbod',
  'extendHuisverbod',
  'endHuisverbod',
  'closeDanger',
  'startHandover',
  'confirmHandover',
  'cancelHandover',
  'requestTransition',
  'acknowledgeEscalation',
  'reviewOverride',
  'decideEscalation',
  'confirmImport',
  'recordPlanVersion',
  'endorsePlan',
  'approvePlan',
  'addLogEntry',
] as const;
export type CommandType = (typeof COMMAND_TYPES)[number];

/** Where free texts sit in each command: the API stores them encrypted and passes references on. */
export const COMMAND_TEXT_PATHS: { readonly [K in CommandType]?: readonly string[] } = {
  recordScore: ['observedBehaviour'],
  addHouseholdMember: ['firstName'],
  defineDanger: ['statement', 'safetyGoal', 'scaleQuestion'],
  reviseDanger: ['statement', 'safetyGoal', 'scaleQuestion'],
  closeDanger: ['reason'],
  recordEvidence: ['note', 'giApproval.approvedBy'],
  cancelHandover: ['justification'],
  requestTransition: ['justification'],
  acknowledgeEscalation: ['plan'],
  reviewOverride: ['note'],
  decideEscalation: ['decision'],
  recordPlanVersion: [
    'dangers[].agreements[].what',
    'dangers[].agreements[].when',
    'dangers[].whenItGoesWrong',
    'children[].safeObject',
    'children[].woordEnBeeld',
    'network[].role',
  ],
  addLogEntry: ['note'],
};
