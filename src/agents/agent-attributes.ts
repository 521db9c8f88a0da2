export enum AgentAvailability {
  Online = 'online',
  Away = 'away',
  Offline = 'offline',
}

/** Where an agent's profile comes from: our own accounts, or the claims of an external platform's tokens. */
export enum AgentSource {
  Local = 'local',
  External = 'external',
}
