import { FlowsteadError } from '../../src/shared/errors.js';

/** Runs work that must fail with a FlowsteadError and returns that error for closer checks. */
export function caught(work: () => unknown): FlowsteadError {
  try {
    work();
  } catch (error) {
    if (error instanceof FlowsteadError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

/** Awaits work that must reject with a FlowsteadError and returns that error. */
export async function rejected(work: Promise<unknown>): Promise<FlowsteadError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof FlowsteadError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}
