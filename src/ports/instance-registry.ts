/** Which gateway instances are alive: lets one tell a submit in flight elsewhere from one cut off by a crash. */
export interface InstanceRegistry {
  /** This instance's id, unique per process start. */
  readonly selfId: string;
  /** False once the instance with this id has stopped or died. */
  isAlive(instanceId: string): Promise<boolean>;
}
