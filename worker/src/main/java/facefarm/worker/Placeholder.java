package facefarm.worker; final class Placeholder {}
