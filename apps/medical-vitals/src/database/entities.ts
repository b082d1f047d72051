import { AlertRule } from '../alerts/alert-rule.entity.js';
import { Device } from '../registry/devices/device.entity.js';
import { Patient } from '../registry/patients/patient.entity.js';
import { Ward } from '../registry/wards/ward.entity.js';

/** Every TypeORM entity of the app (vital_data and alerts are written with SQL, not through entities). */
export const ENTITIES = [Ward, Patient, Device, AlertRule];
