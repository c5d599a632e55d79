package facefarm.coordinator; final class Placeholder {}
