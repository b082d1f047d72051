/** Room names of the /live gateway: one per ward, one per patient. */
export const wardRoom = (wardId: string): string => `ward:${wardId}`;
export const patientRoom = (patientId: string): string => `patient:${patientId}`;

/**
 * A slow socket keeps only the newest waiting reading per patient (V-07); alerts are never coalesced, except
 * that an alert's clearing replaces its raise while both still wait.
 */
export const readingKey = (patientId: string): string => `reading:${patientId}`;
export const alertKey = (alertId: string): string => `alert:${alertId}`;
