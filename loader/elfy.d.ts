/** elfy ships no types: loader/elf-file.ts casts its export to the part it uses. */
declare module 'elfy' {
  const elfy: unknown;
  export default elfy;
}
