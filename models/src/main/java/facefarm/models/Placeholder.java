package facefarm.models; final class Placeholder {}
