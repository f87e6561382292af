// The shared vocabulary the views list (districts, fields of action), from src/domain.
export { DISTRICTS as DISTRICT_IDS, FIELDS_OF_ACTION as FIELD_IDS } from '../src/domain/vocabulary';
