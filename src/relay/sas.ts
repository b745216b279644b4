/** SAS tokens now live in src/common (the relay emulator shares them); kept here so src/relay's imports stay stable. */
export * from '../common/sas';
