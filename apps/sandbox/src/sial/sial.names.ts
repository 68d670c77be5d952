// Names as they come in an Argentine university's records: accents, ñ, apostrophes, compound first
// names, two surnames, particles ("de la", "del").
export const NOMBRES = [
  'Juan', 'María José', 'Sofía', 'Martín', 'Valentina', 'Joaquín', 'Lucía', 'Santiago', 'Camila', 'Matías',
  'Agustina', 'Tomás', 'Florencia', 'Nicolás', 'Micaela', 'Facundo', 'Milagros', 'Ignacio', 'Rocío', 'Julián',
  'Ana Belén', 'Juan Pablo', 'María Inés', 'Ángel', 'Bárbara', 'Azul', 'Thiago', 'Maitena', 'Lautaro', 'Zoe',
  'Máximo', 'Iñaki', 'Noelia', 'Ezequiel', 'Brenda', 'Germán', 'Candela', 'Renata', 'Benjamín', 'Luz María',
];

export const APELLIDOS = [
  'González', 'Rodríguez', 'Gómez', 'Fernández', 'López', 'Díaz', 'Martínez', 'Pérez', 'García', 'Sánchez',
  'Romero', 'Sosa', 'Álvarez', 'Torres', 'Ruiz', 'Ramírez', 'Flores', 'Acosta', 'Benítez', 'Medina',
  'Núñez', 'Ñañez', 'Peña', 'Muñoz', "D'Angelo", "D'Alessandro", "O'Connor", 'Di Pietro', 'de la Fuente', 'del Valle',
  'Ibáñez', 'Suárez', 'Giménez', 'Quiroga', 'Ludueña', 'Bustos', 'Cáceres', 'Agüero', 'Echeverría', 'Lo Bello',
];

export const CARRERAS = [
  'Contador Público',
  'Licenciatura en Economía',
  'Licenciatura en Administración',
  'Tecnicatura Universitaria en Gestión Contable',
];

export const SEDES = ['Río Cuarto', 'Río Cuarto', 'Río Cuarto', 'Villa Mercedes'];

export const EMAIL_DOMAINS = ['gmail.com', 'hotmail.com', 'yahoo.com.ar', 'outlook.com', 'live.com.ar'];
